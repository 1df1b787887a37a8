package dev.deneb.cuda;

import dev.deneb.tensor.ConvOptions;

/**
 * The {@code ConvGeom} struct of {@code conv.cu} (14 ints): a chunk of {@code n} images of {@code c×h×w}, a
 * {@code kh×kw} kernel, stride, padding, dilation and the output size.
 */
record ConvGeometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                    int oh, int ow) {
    static ConvGeometry of(int[] inputShape, int kh, int kw, ConvOptions o) {
        int h = inputShape[2];
        int w = inputShape[3];
        return new ConvGeometry(inputShape[0], inputShape[1], h, w, kh, kw, o.strideH(), o.strideW(), o.padH(),
                o.padW(), o.dilationH(), o.dilationW(), ConvOptions.outSize(h, kh, o.strideH(), o.padH(), o.dilationH()),
                ConvOptions.outSize(w, kw, o.strideW(), o.padW(), o.dilationW()));
    }

    ConvGeometry withImages(int images) {
        return new ConvGeometry(images, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }

    /** Output positions per image. */
    int l() {
        return oh * ow;
    }

    /** Rows of the im2col matrix per image: c × kh × kw. */
    int ck() {
        return c * kh * kw;
    }

    int[] ints() {
        return new int[] {n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow};
    }
}

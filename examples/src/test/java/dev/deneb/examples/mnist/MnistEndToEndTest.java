package dev.deneb.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Batch;
import dev.deneb.data.DataLoader;
import dev.deneb.data.DataPaths;
import dev.deneb.data.Mnist;
import dev.deneb.data.Normalize;
import dev.deneb.data.TensorDataset;
import dev.deneb.nn.Losses;
import dev.deneb.nn.Layer;
import dev.deneb.optim.Adam;
import dev.deneb.tensor.Tensor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trains each example network on a few hundred real MNIST images: the loss must fall and accuracy beat chance. */
class MnistEndToEndTest {
    @ParameterizedTest
    @EnumSource(MnistCommand.Model.class)
    void learnsFromAFewHundredImages(MnistCommand.Model model) {
        Optional<Path> dir = DataPaths.find("mnist");
        Assumptions.assumeTrue(dir.isPresent(), "MNIST data not found (" + DataPaths.describeSearch() + "); skipping");
        Tensor.manualSeed(7);
        TensorDataset all = Mnist.load(dir.get(), true);
        TensorDataset train = all.subset(LongStream.range(0, 512).toArray());
        TensorDataset held = all.subset(LongStream.range(50_000, 50_500).toArray());
        Layer net = model == MnistCommand.Model.cnn ? MnistModels.cnn() : MnistModels.mlp();
        Adam optimizer = new Adam(net.parameters(), Adam.Options.defaults().lr(2e-3));
        DataLoader loader = DataLoader.builder(train).batchSize(32).shuffle(true).seed(1)
                .transform(Normalize.MNIST::apply).build();

        double firstEpochLoss = 0;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            net.train();
            double sum = 0;
            int n = 0;
            for (Batch b : loader.epoch(epoch)) {
                optimizer.zeroGrad();
                Tensor loss = Losses.crossEntropy(net.forward(b.inputs()), b.targets());
                loss.backward();
                optimizer.step();
                sum += loss.item() * b.size();
                n += b.size();
            }
            if (epoch == 0) {
                firstEpochLoss = sum / n;
            }
            lastEpochLoss = sum / n;
        }
        double accuracy = MnistCommand.accuracy(net, held);
        assertTrue(lastEpochLoss < 0.5 * firstEpochLoss, model + ": loss fell only from " + firstEpochLoss + " to "
                + lastEpochLoss);
        assertTrue(accuracy > 0.75, model + ": held-out accuracy " + accuracy + " is not far above chance (0.1)");
    }
}

package dev.deneb.examples.cora;

import dev.deneb.tensor.GradMode;
import dev.deneb.data.DataPaths;
import dev.deneb.nn.Losses;
import dev.deneb.optim.Adam;
import dev.deneb.optim.ParamGroup;
import dev.deneb.tensor.Generator;
import dev.deneb.tensor.Tensor;
import dev.deneb.tensor.Threads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Semi-supervised node classification on Cora (Planetoid split: 140 train, 500 validation, 1000 test) with the GCN
 * of Kipf &amp; Welling (2017) or the GAT of Veličković et al. (2018), with their hyper-parameters; reports the test
 * accuracy (mean ± std over seeds) and the time per epoch.
 */
@Command(name = "cora", mixinStandardHelpOptions = true,
        description = "Node classification on the Cora citation graph with GCN or GAT.")
public final class CoraCommand implements Callable<Integer> {
    public enum Model { gcn, gat }

    @Option(names = "--model", description = "gcn or gat (default: ${DEFAULT-VALUE})")
    Model model = Model.gcn;

    @Option(names = "--seeds", description = "number of seeds (0..N-1) to average over (default: ${DEFAULT-VALUE})")
    int seeds = 5;

    @Option(names = "--epochs", description = "maximum epochs (default: 200 for gcn, 1000 for gat)")
    Integer epochs;

    @Option(names = "--patience", description = "GAT early stopping on validation (default: ${DEFAULT-VALUE})")
    int patience = 100;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--data", description = "folder with the Cora CSV files (default: ../shared/data/cora)")
    Path data;

    @Option(names = "--quiet", description = "only the summary")
    boolean quiet;

    @Option(names = "--out", description = "where the first seed's trained model goes (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    /** One seed's outcome. */
    public record Run(double testAccuracy, double valAccuracy, int epochs, double msPerEpoch) {}

    @Override
    public Integer call() {
        if (threads != null) {
            Threads.set(threads);
        }
        CoraData d;
        try {
            d = CoraData.load(data != null ? data : DataPaths.require("cora"));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        int maxEpochs = epochs != null ? epochs : model == Model.gcn ? 200 : 1000;
        System.out.printf(Locale.ROOT, "Cora: %d nodes, %d features, %d classes, %d directed edges; %s, %d seeds%n",
                d.numNodes(), d.numFeatures(), d.numClasses(), d.edgeIndex().size(1), model, seeds);
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            Trained t = fit(d, model, s, maxEpochs, patience);
            Run r = t.run();
            runs.add(r);
            if (s == 0) {
                save(t.net());
            }
            if (!quiet) {
                System.out.printf(Locale.ROOT, "seed %d: test %.2f %%, val %.2f %%, %d epochs, %.1f ms/epoch%n", s,
                        100 * r.testAccuracy(), 100 * r.valAccuracy(), r.epochs(), r.msPerEpoch());
            }
        }
        double[] acc = runs.stream().mapToDouble(Run::testAccuracy).toArray();
        double mean = java.util.Arrays.stream(acc).average().orElse(0);
        double var = java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, acc.length - 1);
        double ms = runs.stream().mapToDouble(Run::msPerEpoch).average().orElse(0);
        System.out.printf(Locale.ROOT, "%s test accuracy over %d seeds: %.2f %% ± %.2f (paper: %s); %.1f ms/epoch%n",
                model, seeds, 100 * mean, 100 * Math.sqrt(var), model == Model.gcn ? "81.5 %" : "83.0 %", ms);
        return 0;
    }

    /** A trained model and its outcome. */
    public record Trained(CoraModels.GraphNet net, Run run) {}

    private void save(CoraModels.GraphNet net) {
        Path f = out.resolve("cora-" + model + ".safetensors");
        try {
            java.nio.file.Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not create " + out, e);
        }
        dev.deneb.nn.io.ModelIO.save(net, java.util.Map.of("model", model.name()), f);
        if (!quiet) {
            System.out.println("saved " + f);
        }
    }

    /** Trains one model with the paper's settings and returns its test accuracy (at the best validation epoch for GAT). */
    public static Run train(CoraData d, Model model, long seed, int maxEpochs, int patience) {
        return fit(d, model, seed, maxEpochs, patience).run();
    }

    /** As {@link #train}, keeping the trained model. */
    public static Trained fit(CoraData d, Model model, long seed, int maxEpochs, int patience) {
        Tensor.manualSeed(seed);
        Generator g = new Generator(seed);
        CoraModels.GraphNet net;
        double lr;
        if (model == Model.gcn) {
            net = new CoraModels.Gcn(d.numFeatures(), 16, d.numClasses(), 0.5, g);
            lr = 0.01;
        } else {
            net = new CoraModels.Gat(d.numFeatures(), 8, 8, d.numClasses(), 1, 0.6, g);
            lr = 0.005;
        }
        Set<Tensor> decayed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        decayed.addAll(net.decayed());
        List<Tensor> rest = net.parameters().stream().filter(p -> !decayed.contains(p)).toList();
        List<ParamGroup> groups = new ArrayList<>();
        groups.add(ParamGroup.of(net.decayed()).weightDecay(5e-4));
        if (!rest.isEmpty()) {
            groups.add(ParamGroup.of(rest).weightDecay(0.0));
        }
        Adam opt = new Adam(groups, Adam.Options.defaults().lr(lr));
        Tensor x = d.features();
        Tensor trainY = d.labels().indexSelect(0, d.train());
        double bestVal = -1;
        double bestValLoss = Double.POSITIVE_INFINITY;
        double testAtBest = 0;
        int since = 0;
        int epoch = 0;
        long t0 = System.nanoTime();
        for (epoch = 1; epoch <= maxEpochs; epoch++) {
            net.train();
            opt.zeroGrad();
            Tensor logits = net.forward(x, d.edgeIndex());
            Tensor loss = Losses.crossEntropy(logits.indexSelect(0, d.train()), trainY);
            loss.backward();
            opt.step();
            if (model == Model.gat) {
                double[] ev = evaluate(net, d);
                // the GAT paper's rule: stop when neither validation accuracy nor loss improved for `patience` epochs
                if (ev[0] >= bestVal || ev[1] <= bestValLoss) {
                    if (ev[0] >= bestVal && ev[1] <= bestValLoss) {
                        testAtBest = ev[2];
                    }
                    bestVal = Math.max(bestVal, ev[0]);
                    bestValLoss = Math.min(bestValLoss, ev[1]);
                    since = 0;
                } else if (++since >= patience) {
                    break;
                }
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / Math.min(epoch, maxEpochs);
        double[] ev = evaluate(net, d);
        if (model == Model.gcn) {
            return new Trained(net, new Run(ev[2], ev[0], maxEpochs, ms));
        }
        return new Trained(net, new Run(testAtBest, bestVal, Math.min(epoch, maxEpochs), ms));
    }

    /** Validation accuracy, validation loss, test accuracy in eval mode. */
    static double[] evaluate(CoraModels.GraphNet net, CoraData d) {
        net.eval();
        try (var ignored = GradMode.noGrad()) {
            Tensor logits = net.forward(d.features(), d.edgeIndex());
            double valLoss = Losses.crossEntropy(logits.indexSelect(0, d.val()), d.labels().indexSelect(0, d.val()))
                    .item();
            return new double[] {accuracy(logits.detach(), d.labels(), d.val()), valLoss,
                accuracy(logits.detach(), d.labels(), d.test())};
        }
    }

    static double accuracy(Tensor logits, Tensor labels, Tensor ids) {
        long[] pred = logits.indexSelect(0, ids).argmax(1, false).toLongArray();
        long[] y = labels.indexSelect(0, ids).toLongArray();
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += pred[i] == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoraCommand()).execute(args));
    }
}

package dev.deneb.examples.download;

import static dev.deneb.examples.download.Expected.sha256;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data sets the examples use, with their official sources and the SHA-256 of each file. The hashes are those
 * of shared/data (see each folder's README), which for MNIST (but the training images), SDSS and the raw Cora and
 * EROS-1 inputs are the upstream bytes. URLs pin a commit wherever the host allows it, so the bytes cannot change
 * under the hash.
 */
public final class Catalog {
    private Catalog() {}

    /** torchvision's mirror of the four original MNIST .gz files (yann.lecun.com now refuses plain downloads). */
    static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    static final String SDSS = "https://raw.githubusercontent.com/Jason-Woo/Data-Completion-and-Interpolation/"
            + "36dfc0feb1e874b6b369a274d68d1cc35eb37b66/Skyserver_SQL2_27_2018 6_51_39 PM.csv";
    static final String LINQS_CORA = "https://linqs-data.soe.ucsc.edu/public/lbc/cora.tgz";
    static final String PLANETOID = "https://raw.githubusercontent.com/tkipf/gcn/"
            + "39a4089fe72ad9f055ed6fdb9746abdcfebc4d81/gcn/data/";
    static final String RAMP_EROS1 = "https://raw.githubusercontent.com/ramp-kits/variable_stars/"
            + "3fbaa2dfc64fa7c41859e853db485ae163552254/data/";

    public static final List<DataSet> ALL = List.of(mnist(), sdss(), cora(), eros1());

    /** By command-line name ({@code mnist}, {@code sdss}, {@code cora}, {@code eros1}). */
    public static Optional<DataSet> byName(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    static DataSet mnist() {
        return new DataSet("mnist", "mnist", List.of(
                // shared/data's copy of these images was recompressed from the original content; both verify.
                DataFile.of("train-images-idx3-ubyte.gz", Expected.sha256OrGunzipped(
                        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
                        Source.url(MNIST + "train-images-idx3-ubyte.gz")),
                DataFile.of("train-labels-idx1-ubyte.gz",
                        sha256("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
                        Source.url(MNIST + "train-labels-idx1-ubyte.gz")),
                DataFile.of("t10k-images-idx3-ubyte.gz",
                        sha256("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
                        Source.url(MNIST + "t10k-images-idx3-ubyte.gz")),
                DataFile.of("t10k-labels-idx1-ubyte.gz",
                        sha256("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
                        Source.url(MNIST + "t10k-labels-idx1-ubyte.gz"))),
                "MNIST (LeCun, Cortes, Burges), the original IDX .gz files from torchvision's mirror.");
    }

    static DataSet sdss() {
        String manual = "Kaggle data set \"Sloan Digital Sky Survey DR14\" (Lennart Grosser, 2018; needs a Kaggle "
                + "login): download Skyserver_SQL2_27_2018 6_51_39 PM.csv and save it as this file.";
        return new DataSet("sdss", "sdss", List.of(
                DataFile.of("sdss_dr14_skyserver_10k.csv",
                        sha256("6e2389dd300a825a068db04f59ca246280c78f4798bd5ddca38e8ca54ba7ce15"), Source.url(SDSS))),
                "SDSS DR14 SkyServer table (10,000 objects). Upstream is a Kaggle upload that needs a login, and "
                + "SkyServer answers queries rather than serving a fixed file, so the file comes from a pinned "
                + "GitHub commit holding the same bytes. If that URL fails: " + manual);
    }

    static DataSet cora() {
        List<DataFile> files = new ArrayList<>();
        String derived = "The Cora CSVs are converted from the Planetoid files (node order, split) and the LINQS "
                + "files (class names, paper ids) that this command puts in cora/original/, as described in "
                + "shared/data/cora/README.md; no public site serves the CSVs and Deneb has no converter yet. "
                + "Copy cora_*.csv from a machine with ../shared/data/cora (or use --mirror URL, a server holding "
                + "that layout) and rerun 'download cora' to verify them.";
        Map<String, String> csv = Map.of(
                "cora_features.csv", "c834ccf18b80b336fd5d35aab196987cd72bd9673c721276a2b4096f324b4496",
                "cora_labels.csv", "9e705786abf69bac5c9b189d00d1b17d2e487ba429c73ade5df7d8b108583cec",
                "cora_edges.csv", "138c0713f02c1d7c6510f0767f9c4cd5496c6d5e069e9fa938f41ce021d2ddc0",
                "cora_cites_directed.csv", "5d875062258ec87d83032e2f735d858f95b6bd63fc3aaad37d8bff4c2910add4",
                "cora_split_planetoid.csv", "2a8377b30cbb61929512211ed30c4075a007fe5edc851fd8e160cd9976264caa");
        csv.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                files.add(DataFile.of(e.getKey(), sha256(e.getValue()), new Source.Manual(derived))));
        // The raw inputs: shared/data does not keep them, so a mirror of it does not hold them either.
        files.add(new DataFile("original/cora.content",
                sha256("b8ebed0fd45e53995abafd1b70cf6a9fcc8f86abc5826d69b97fe6ca46e9c8ee"),
                new Source.TarGzEntry(Source.url(LINQS_CORA).uri(), "cora/cora.content"), false));
        files.add(new DataFile("original/cora.cites",
                sha256("ec1a372391b7f0f60a6aff0084e8abd8f19f0faa7e1f2441a41c492042d5945e"),
                new Source.TarGzEntry(Source.url(LINQS_CORA).uri(), "cora/cora.cites"), false));
        Map<String, String> planetoid = Map.of(
                "allx", "9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543",
                "ally", "2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71",
                "graph", "58f13302f39dde8852dad6fe6d15b89b077b6d7f837626bce671ef80344b383d",
                "test.index", "297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875",
                "tx", "b9afbaa4a400df991f6f02ef677e1e44da55ffc04801fd02f9e673987829226a",
                "ty", "41f5ac76596a1699cc33f53084a2419e92961c42bb75f36fc38e616d348532ad",
                "x", "23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab",
                "y", "94465c14eb53e04ca262198dcbb2521ee8af60fb3f3d546cd6ca24a511b0e7d1");
        planetoid.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                files.add(new DataFile("original/ind.cora." + e.getKey(), sha256(e.getValue()),
                        Source.url(PLANETOID + "ind.cora." + e.getKey()), false)));
        return new DataSet("cora", "cora", files, "Cora (LINQS; Planetoid split of Yang et al. 2016 via tkipf/gcn).");
    }

    static DataSet eros1() {
        List<DataFile> files = new ArrayList<>();
        String derived = "The eros1_* files are converted from the RAMP kit files in original/ (fetched by this "
                + "command) by the numpy script described in shared/data/eros1_variable_stars/README.md, which is "
                + "not part of Deneb, and no public site serves them. Copy eros1_* from a machine with "
                + "../shared/data/eros1_variable_stars (or use --mirror URL, a server holding that layout) and "
                + "rerun 'download eros1' to verify them.";
        String[][] converted = {
            {"eros1_train_meta.csv", "7348c030ac8ffcdb23f7453b66c9e8469b62750568b396bbaae9b393e5a92136"},
            {"eros1_test_meta.csv", "3a9ff8bf1035dd25433f415a0ef84cb007c25ff887abe7332202994dc6b62bd6"},
            {"eros1_train_lightcurves.csv.gz", "535a2da529398f8b36397a98663f81d8c2fbbd669b0421174bdc33103371b04b"},
            {"eros1_test_lightcurves.csv.gz", "c96386014c53ad9aa4b223018b7248d5e8426a39a95c67a32780eaefc4dba36a"},
            {"eros1_train_folded32.csv", "cb365e7d7d3a6290669e19f9b26d71b20eb26c3439f5dbc6addf6e5758a427eb"},
            {"eros1_test_folded32.csv", "dbd49a98a26ed3620e935ac12f30c96dfcb52f26cc4e800f5a0e81f04d306776"},
        };
        for (String[] f : converted) {
            files.add(DataFile.of(f[0], sha256(f[1]), new Source.Manual(derived)));
        }
        String[][] originals = {
            {"train.csv", "3c78f865ae57abe6b5024666e93bab0d36015962db8f90baecfaf73db160a9ce"},
            {"test.csv", "93ff2d1bbe170d59202b443712dec7260351bb26ea49eb7930399f272ad847f6"},
            {"train_varlength_features.csv.gz", "6b812b6d0c8122298a606e624a65f81cbf91a2d38267d081219b10d2c9573991"},
            {"test_varlength_features.csv.gz", "d30fac6cd628f4fcd430f8b0ab42192fbcdf0968ab1d67d728ada81971f4b97e"},
        };
        for (String[] f : originals) {
            files.add(DataFile.of("original/" + f[0], sha256(f[1]), Source.url(RAMP_EROS1 + f[0])));
        }
        return new DataSet("eros1", "eros1_variable_stars", files,
                "EROS-1 LMC variable stars (RAMP kit github.com/ramp-kits/variable_stars, pinned commit).");
    }
}

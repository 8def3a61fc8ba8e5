package dev.profilesync.bench;

import java.util.List;
import java.util.Locale;

/** Renders benchmark results as a Markdown table and an SVG chart. */
final class Report {

    private Report() {
    }

    static String markdown(List<BenchMain.Result> results, BenchMain.Peers peers, int changes, int users) {
        int runs = results.isEmpty() ? 0 : results.get(0).appliers().size();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Applier throughput, %,d changes over %,d users, PostgreSQL on "
                + "127.0.0.1, one KRaft broker in the same JVM, %d cores (%s). Medians of %d runs after a warm-up; "
                + "the last column shows every run.%n%n", changes, users,
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(), runs));
        md.append("| partitions | consumer threads | ceiling: store alone, same SQL and connections (changes/s) "
                + "| applier (changes/s) | applier / ceiling | applier / per-record peer | applier / blob peer "
                + "| applier / ceiling, each run |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchMain.Result r : results) {
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < r.appliers().size(); i++) {
                each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f %%",
                        100 * r.appliers().get(i) / r.ceilings().get(i)));
            }
            md.append(String.format(Locale.ROOT, "| %d | %d | %,.0f | %,.0f | %.0f %% | %.1f× | %.1f× | %s |%n",
                    r.partitions(), r.consumers(), r.ceiling(), r.applier(), 100 * r.applier() / r.ceiling(),
                    r.applier() / peers.same(), r.applier() / peers.blob(), each));
        }
        md.append(String.format(Locale.ROOT, "%nPer-record peer: a textbook record `@KafkaListener`-style container "
                + "(default batch ack mode) doing the applier's job one record at a time: the same merge and "
                + "convergent upsert of the profile row, one transaction per record; %d threads, %,d changes: "
                + "**%,.0f changes/s** (median; runs: %s).%n", peers.consumers(), peers.changes(), peers.same(),
                list(peers.sameRuns())));
        md.append(String.format(Locale.ROOT, "%nBlob peer, for reference: the same container overwriting a "
                + "three-column row (id, the change's fields as text, time) per record, auto-commit. It does less "
                + "than the job (a change of one field loses the others): **%,.0f changes/s** (median; runs: %s).%n",
                peers.blob(), list(peers.blobRuns())));
        return md.toString();
    }

    private static String list(List<Double> values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", value));
        }
        return text.toString();
    }

    static String svg(List<BenchMain.Result> results, double peer) {
        int width = 640;
        int height = 360;
        int left = 70;
        int bottom = 300;
        double max = results.stream().mapToDouble(r -> Math.max(r.ceiling(), r.applier())).max().orElse(1) * 1.1;
        int slot = (width - left - 20) / Math.max(1, results.size());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"20\" font-size=\"14\">Changes applied per second by partition count</text>\n");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                left, bottom, width - 10, bottom));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            int y = bottom - (int) (250 * tick / 4.0);
            svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%,.0f</text>%n", y + 4, value));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    left, y, width - 10, y));
        }
        for (int i = 0; i < results.size(); i++) {
            BenchMain.Result r = results.get(i);
            int x = left + i * slot + 10;
            bar(svg, x, r.ceiling(), max, bottom, "#9aa5b1");
            bar(svg, x + 22, r.applier(), max, bottom, "#2b6cb0");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%d</text>%n", x + 14, bottom + 16,
                    r.partitions()));
        }
        int peerY = bottom - (int) (250 * peer / max);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c53030\" "
                + "stroke-dasharray=\"4 3\"/>%n", left, peerY, width - 10, peerY));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#c53030\">per-record peer</text>%n",
                width - 120, peerY - 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">partitions</text>%n", width / 2, bottom + 34));
        svg.append("<rect x=\"80\" y=\"330\" width=\"12\" height=\"12\" fill=\"#9aa5b1\"/>"
                + "<text x=\"96\" y=\"341\">ceiling (store alone)</text>\n");
        svg.append("<rect x=\"240\" y=\"330\" width=\"12\" height=\"12\" fill=\"#2b6cb0\"/>"
                + "<text x=\"256\" y=\"341\">applier via Kafka</text>\n");
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int x, double value, double max, int bottom, String colour) {
        int h = (int) (250 * value / max);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"%d\" fill=\"%s\"/>%n", x,
                bottom - h, h, colour));
    }
}

package org.nucleispark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.block.BlockBorder;

/**
 * The look shared by the report's plots: white background, light grid, fonts large enough to read
 * when the page is scaled to a laptop screen, legend below, and one colour per model that is the
 * same in every plot (the Okabe–Ito palette, distinguishable with the common colour blindnesses).
 */
public final class ChartStyle {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 560;
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 26);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 20);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 17);
    static final Font ITEM = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    static final BasicStroke GRID_STROKE = new BasicStroke(1f);
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0x56B4E9), new Color(0xD55E00), new Color(0x000000), new Color(0xF0E442)};

    private ChartStyle() {}

    /** The colour of the {@code i}-th model (or series) of the report. */
    public static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static void apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(10, 10, 10, 20));
        chart.getTitle().setFont(TITLE);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 18));
        }
    }

    static void axis(Axis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
    }

    /** PNG bytes of the chart at {@link #WIDTH} x {@link #HEIGHT} px. */
    public static byte[] png(JFreeChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a chart to memory failed", e);
        }
        return out.toByteArray();
    }
}

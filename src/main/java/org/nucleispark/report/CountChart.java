package org.nucleispark.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Counts (not shares): bars per category, or per integer x such as a frame, one series per output. */
public final class CountChart {
    private CountChart() {}

    /** Bars grouped by category (e.g. track-length bins), integer y axis. */
    public static JFreeChart categories(String title, String categoryLabel, String valueLabel, List<String> categories,
                                        Map<String, long[]> countsBySeries, Map<String, Color> colours) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        countsBySeries.forEach((series, counts) -> {
            for (int c = 0; c < categories.size(); c++) data.addValue(counts[c], series, categories.get(c));
        });
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data);
        ChartStyle.apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.04);
        r.setMaximumBarWidth(0.12);
        for (int i = 0; i < data.getRowCount(); i++) r.setSeriesPaint(i, colours.getOrDefault((String) data.getRowKey(i), ChartStyle.colour(i)));
        plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ChartStyle.axis(plot.getDomainAxis());
        ChartStyle.axis(plot.getRangeAxis());
        return chart;
    }

    /** One bar per integer x (e.g. frame) per series; x without a count are 0. */
    public static JFreeChart perX(String title, String xLabel, String valueLabel, Map<String, SortedMap<Integer, Long>> countsBySeries,
                                  Map<String, Color> colours) {
        XYSeriesCollection data = new XYSeriesCollection();
        countsBySeries.forEach((series, counts) -> {
            XYSeries s = new XYSeries(series, true, false);
            counts.forEach((x, n) -> s.add(x.doubleValue(), n.doubleValue()));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYBarChart(title, xLabel, false, valueLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        ChartStyle.apply(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < data.getSeriesCount(); i++) r.setSeriesPaint(i, colours.getOrDefault((String) data.getSeriesKey(i), ChartStyle.colour(i)));
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (SortedMap<Integer, Long> counts : countsBySeries.values()) {
            if (counts.isEmpty()) continue;
            lo = Math.min(lo, counts.firstKey());
            hi = Math.max(hi, counts.lastKey());
        }
        if (lo <= hi) plot.getDomainAxis().setRange(lo - 0.5, hi + 0.5); // bars are centred on their x
        ChartStyle.axis(plot.getDomainAxis());
        ChartStyle.axis(plot.getRangeAxis());
        return chart;
    }
}

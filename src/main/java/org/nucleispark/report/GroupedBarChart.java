package org.nucleispark.report;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import java.awt.Color;
import org.jfree.chart.axis.NumberTickUnit;

/**
 * Bars grouped by category, one bar per series (model) in each group, each bar labelled with its
 * value as a percentage so that nobody has to read values off the axis.
 */
public final class GroupedBarChart {
    private GroupedBarChart() {}

    /**
     * @param categories the groups along the x axis, in order
     * @param valuesBySeries series name to one value in [0, 1] per category (NaN: no bar)
     * @param colours each series' colour, so a model keeps its colour from plot to plot (missing: by position)
     */
    public static JFreeChart create(String title, String categoryLabel, String valueLabel, List<String> categories,
                                    Map<String, double[]> valuesBySeries, Map<String, Color> colours) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> e : valuesBySeries.entrySet()) {
            for (int c = 0; c < categories.size(); c++) {
                double v = e.getValue()[c];
                data.addValue(Double.isNaN(v) ? null : v, e.getKey(), categories.get(c));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data);
        ChartStyle.apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.12);
        NumberFormat percent = NumberFormat.getPercentInstance(Locale.ROOT);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", percent));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(ChartStyle.ITEM);
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, colours.getOrDefault((String) data.getRowKey(i), ChartStyle.colour(i)));
        }
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setRange(0, 1.08); // room for the labels above full bars
        y.setNumberFormatOverride(percent);
        y.setTickUnit(new NumberTickUnit(0.2, percent));
        CategoryAxis x = plot.getDomainAxis();
        x.setMaximumCategoryLabelLines(2);
        x.setMaximumCategoryLabelWidthRatio(1.3f); // "465–3215 px² (n = 127)" on one line
        x.setCategoryMargin(0.25);
        ChartStyle.axis(x);
        ChartStyle.axis(y);
        return chart;
    }
}

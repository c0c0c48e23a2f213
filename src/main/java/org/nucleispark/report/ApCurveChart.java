package org.nucleispark.report;

import java.awt.BasicStroke;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nucleispark.metrics.DsbMetric;
import java.awt.Color;
import java.text.DecimalFormat;
import java.awt.geom.Ellipse2D;

/** Average precision (the DSB score at one IoU threshold) against the threshold, one line per model. */
public final class ApCurveChart {
    private ApCurveChart() {}

    /**
     * @param apByModel model name to its ten AP values at IoU 0.50 … 0.95 (NaN: not plotted)
     * @param colours each model's colour (missing: by position)
     */
    public static JFreeChart create(Map<String, double[]> apByModel, Map<String, Color> colours) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : apByModel.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] ap = e.getValue();
            for (int i = 0; i < ap.length; i++) {
                if (!Double.isNaN(ap[i])) s.add(DsbMetric.threshold(i), ap[i]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Average precision vs. IoU threshold",
                "IoU threshold (a prediction matches a nucleus above it)", "AP = TP / (TP + FP + FN)",
                data, PlotOrientation.VERTICAL, true, false, false);
        ChartStyle.apply(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colours.getOrDefault((String) data.getSeriesKey(i), ChartStyle.colour(i)));
            renderer.setSeriesStroke(i, new BasicStroke(3.5f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setRange(0.48, 0.97);
        x.setTickUnit(new NumberTickUnit(0.05, new DecimalFormat("0.00")));
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setRange(0, 1.0);
        y.setTickUnit(new NumberTickUnit(0.1, new DecimalFormat("0.0")));
        ChartStyle.axis(x);
        ChartStyle.axis(y);
        return chart;
    }
}

package dev.geminilive.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain SVG charts, written from the run's numbers (no chart library): grouped horizontal bars and
 * lines over a shared x axis. Colours follow the series name, so a client keeps its colour in every
 * chart.
 */
final class Svg {
  private Svg() {}

  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };

  /** One line of a line chart; NaN values leave a gap. */
  record Series(String name, double[] x, double[] y) {}

  /**
   * Colours for a list of series: by client, with a lighter shade for a client's second series in
   * the same chart (its SINAD beside its rejection, say).
   */
  static List<String> colours(List<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String c = colour(names.get(i), i);
      int same = 0;
      for (String earlier : out) {
        if (earlier.equals(c) || earlier.equals(lighter(c))) {
          same++;
        }
      }
      out.add(same == 0 ? c : lighter(c));
    }
    return out;
  }

  /** {@code colour} mixed halfway with white. */
  static String lighter(String colour) {
    int rgb = Integer.parseInt(colour.substring(1), 16);
    int r = ((rgb >> 16) & 0xFF) + (255 - ((rgb >> 16) & 0xFF)) / 2;
    int g = ((rgb >> 8) & 0xFF) + (255 - ((rgb >> 8) & 0xFF)) / 2;
    int b = (rgb & 0xFF) + (255 - (rgb & 0xFF)) / 2;
    return String.format("#%02x%02x%02x", r, g, b);
  }

  static String colour(String name, int index) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.startsWith("library") && n.contains("jdk")) {
      return PALETTE[6];
    }
    if (n.startsWith("library")) {
      return PALETTE[0];
    }
    if (n.contains("okhttp")) {
      return PALETTE[1];
    }
    if (n.contains("non-blocking") || n.contains("java.net.http")) {
      return PALETTE[2];
    }
    if (n.contains("sdk")) {
      return PALETTE[3];
    }
    if (n.contains("sox")) {
      return n.contains("as written") || n.contains("gross") ? "#c5b0d5" : PALETTE[4];
    }
    if (n.contains("jdk") || n.contains("audiosystem")) {
      return PALETTE[5];
    }
    return PALETTE[(index + 6) % PALETTE.length];
  }

  /**
   * Grouped horizontal bars: one group per category, one bar per series. {@code values[s][c]} may
   * be NaN (bar left out). With {@code log}, the axis is logarithmic (values must be positive).
   */
  static String bars(
      String title,
      String axisLabel,
      List<String> categories,
      List<String> series,
      double[][] values,
      boolean log,
      double goal,
      String goalLabel) {
    int left = 170;
    int right = 110;
    int width = 860;
    int barHeight = 14;
    int groupGap = 14;
    int top = 56;
    int legendHeight = legendHeight(series);
    int plotHeight = categories.size() * (series.size() * barHeight + groupGap);
    int height = top + plotHeight + 40 + legendHeight;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (double[] row : values) {
      for (double v : row) {
        if (Double.isFinite(v) && v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (!Double.isNaN(goal) && goal > 0) {
      max = Math.max(max, goal);
      min = Math.min(min, goal);
    }
    if (max == 0) {
      max = 1;
      min = 1;
    }
    double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
    int plotWidth = width - left - right;
    List<String> palette = colours(series);
    StringBuilder sb = header(width, height, title);
    // Grid and ticks.
    List<Double> ticks = new ArrayList<>();
    if (log) {
      for (double t = lo; t <= hi * 1.0001; t *= 10) {
        ticks.add(t);
      }
    } else {
      double step = hi / 5;
      for (int i = 0; i <= 5; i++) {
        ticks.add(step * i);
      }
    }
    for (double t : ticks) {
      double x = left + plotWidth * scale(t, lo, hi, log);
      sb.append(
          Stats.fmt(
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n",
              x, top - 6, x, top + plotHeight));
      sb.append(
          Stats.fmt(
              "<text x='%.1f' y='%d' font-size='11' text-anchor='middle' fill='#555'>%s</text>%n",
              x, top + plotHeight + 16, esc(tick(t))));
    }
    sb.append(
        Stats.fmt(
            "<text x='%d' y='%d' font-size='12' text-anchor='middle' fill='#333'>%s</text>%n",
            left + plotWidth / 2, top + plotHeight + 32, esc(axisLabel)));
    int y = top;
    for (int c = 0; c < categories.size(); c++) {
      int groupTop = y;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][c];
        if (Double.isFinite(v) && (!log || v > 0)) {
          double w = plotWidth * scale(v, lo, hi, log);
          sb.append(
              Stats.fmt(
                  "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'><title>%s: %s</title>"
                      + "</rect>%n",
                  left,
                  y,
                  Math.max(1, w),
                  barHeight - 2,
                  colour(series.get(s), s),
                  esc(series.get(s)),
                  esc(Stats.num(v))));
          sb.append(
              Stats.fmt(
                  "<text x='%.1f' y='%d' font-size='10' fill='#333'>%s</text>%n",
                  left + w + 4, y + barHeight - 4, esc(Stats.num(v))));
        }
        y += barHeight;
      }
      sb.append(
          Stats.fmt(
              "<text x='%d' y='%.1f' font-size='12' text-anchor='end' fill='#222'>%s</text>%n",
              left - 8, groupTop + (y - groupTop) / 2.0 + 4, esc(categories.get(c))));
      y += groupGap;
    }
    if (!Double.isNaN(goal)) {
      double x = left + plotWidth * scale(goal, lo, hi, log);
      sb.append(
          Stats.fmt(
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#d62728' stroke-dasharray='5,3'"
                  + " stroke-width='1.5'/>%n",
              x, top - 10, x, top + plotHeight));
      sb.append(
          Stats.fmt(
              "<text x='%.1f' y='%d' font-size='11' fill='#d62728' text-anchor='middle'>%s</text>%n",
              x, top - 14, esc(goalLabel)));
    }
    legend(sb, series, palette, 20, top + plotHeight + 46);
    return sb.append("</svg>\n").toString();
  }

  /**
   * Lines over a shared x axis (sessions, say), with an optional horizontal limit line. With {@code
   * logY} the y axis is logarithmic.
   */
  static String lines(
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      boolean logY,
      double limit,
      String limitLabel) {
    int width = 860;
    int left = 70;
    int right = 30;
    int top = 50;
    int plotHeight = 300;
    List<String> names = new ArrayList<>();
    series.forEach(s -> names.add(s.name()));
    int legendHeight = legendHeight(names);
    int height = top + plotHeight + 50 + legendHeight;
    int plotWidth = width - left - right;
    double xMax = 0;
    double yMax = 0;
    double yMin = Double.MAX_VALUE;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isNaN(s.y()[i])) {
          xMax = Math.max(xMax, s.x()[i]);
          yMax = Math.max(yMax, s.y()[i]);
          if (s.y()[i] > 0) {
            yMin = Math.min(yMin, s.y()[i]);
          }
        }
      }
    }
    if (!Double.isNaN(limit)) {
      yMax = Math.max(yMax, limit);
      yMin = Math.min(yMin, limit);
    }
    if (yMax == 0) {
      yMax = 1;
    }
    if (yMin == Double.MAX_VALUE) {
      yMin = 1;
    }
    xMax = niceCeiling(Math.max(1, xMax));
    double lo = logY ? Math.pow(10, Math.floor(Math.log10(yMin))) : 0;
    double hi = logY ? Math.pow(10, Math.ceil(Math.log10(yMax))) : niceCeiling(yMax);
    StringBuilder sb = header(width, height, title);
    List<Double> yTicks = new ArrayList<>();
    if (logY) {
      for (double t = lo; t <= hi * 1.0001; t *= 10) {
        yTicks.add(t);
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        yTicks.add(hi / 5 * i);
      }
    }
    for (double t : yTicks) {
      double yy = top + plotHeight - plotHeight * scale(t, lo, hi, logY);
      sb.append(
          Stats.fmt(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n",
              left, yy, left + plotWidth, yy));
      sb.append(
          Stats.fmt(
              "<text x='%d' y='%.1f' font-size='11' text-anchor='end' fill='#555'>%s</text>%n",
              left - 6, yy + 4, esc(tick(t))));
    }
    for (int i = 0; i <= 5; i++) {
      double xv = xMax / 5 * i;
      double xx = left + plotWidth * xv / xMax;
      sb.append(
          Stats.fmt(
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#eee'/>%n",
              xx, top, xx, top + plotHeight));
      sb.append(
          Stats.fmt(
              "<text x='%.1f' y='%d' font-size='11' text-anchor='middle' fill='#555'>%s</text>%n",
              xx, top + plotHeight + 16, esc(tick(xv))));
    }
    sb.append(
        Stats.fmt(
            "<text x='%d' y='%d' font-size='12' text-anchor='middle' fill='#333'>%s</text>%n",
            left + plotWidth / 2, top + plotHeight + 34, esc(xLabel)));
    sb.append(
        Stats.fmt(
            "<text x='14' y='%d' font-size='12' text-anchor='middle' fill='#333'"
                + " transform='rotate(-90 14 %d)'>%s</text>%n",
            top + plotHeight / 2, top + plotHeight / 2, esc(yLabel)));
    if (!Double.isNaN(limit)) {
      double yy = top + plotHeight - plotHeight * scale(limit, lo, hi, logY);
      sb.append(
          Stats.fmt(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#d62728' stroke-dasharray='5,3'"
                  + " stroke-width='1.5'/>%n",
              left, yy, left + plotWidth, yy));
      sb.append(
          Stats.fmt(
              "<text x='%d' y='%.1f' font-size='11' fill='#d62728' text-anchor='end'>%s</text>%n",
              left + plotWidth - 4, yy - 5, esc(limitLabel)));
    }
    List<String> palette = colours(names);
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      String c = palette.get(s);
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < line.x().length; i++) {
        double v = line.y()[i];
        if (Double.isNaN(v) || (logY && v <= 0)) {
          continue;
        }
        double xx = left + plotWidth * line.x()[i] / xMax;
        double yy = top + plotHeight - plotHeight * scale(Math.min(v, hi), lo, hi, logY);
        path.append(path.length() == 0 ? "M" : " L").append(Stats.fmt("%.1f %.1f", xx, yy));
        sb.append(
            Stats.fmt(
                "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'><title>%s, %s: %s</title></circle>%n",
                xx, yy, c, esc(line.name()), esc(tick(line.x()[i])), esc(Stats.num(v))));
      }
      if (path.length() > 0) {
        sb.append(Stats.fmt("<path d='%s' fill='none' stroke='%s' stroke-width='2'/>%n", path, c));
      }
    }
    legend(sb, names, palette, 20, top + plotHeight + 52);
    return sb.append("</svg>\n").toString();
  }

  private static StringBuilder header(int width, int height, String title) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        Stats.fmt(
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'"
                + " font-family='Helvetica, Arial, sans-serif'>%n",
            width, height, width, height));
    sb.append(Stats.fmt("<rect width='%d' height='%d' fill='white'/>%n", width, height));
    sb.append(
        Stats.fmt(
            "<text x='%d' y='24' font-size='15' font-weight='bold' text-anchor='middle'"
                + " fill='#111'>%s</text>%n",
            width / 2, esc(title)));
    return sb;
  }

  /** Legend columns: three for short names, fewer when a name would run into the next. */
  static int legendColumns(List<String> names) {
    int longest = 0;
    for (String n : names) {
      longest = Math.max(longest, n.length());
    }
    return longest > 60 ? 1 : longest > 36 ? 2 : 3;
  }

  static int legendHeight(List<String> names) {
    int columns = legendColumns(names);
    return 22 * ((names.size() + columns - 1) / columns);
  }

  private static void legend(
      StringBuilder sb, List<String> names, List<String> palette, int x0, int y0) {
    int columns = legendColumns(names);
    int width = 840 / columns;
    for (int i = 0; i < names.size(); i++) {
      int x = x0 + (i % columns) * width;
      int y = y0 + (i / columns) * 22;
      sb.append(
          Stats.fmt(
              "<rect x='%d' y='%d' width='14' height='10' fill='%s'/>%n", x, y, palette.get(i)));
      sb.append(
          Stats.fmt(
              "<text x='%d' y='%d' font-size='12' fill='#222'>%s</text>%n",
              x + 20, y + 9, esc(names.get(i))));
    }
  }

  private static double scale(double v, double lo, double hi, boolean log) {
    if (log) {
      return (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }
    return (v - lo) / (hi - lo);
  }

  private static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String tick(double v) {
    if (v == 0) {
      return "0";
    }
    if (Math.abs(v) >= 1000) {
      return Stats.fmt("%,.0f", v);
    }
    if (Math.abs(v) >= 1) {
      return v == Math.rint(v) ? Stats.fmt("%.0f", v) : Stats.fmt("%.1f", v);
    }
    return Stats.fmt("%.2g", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}

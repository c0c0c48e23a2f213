package org.nucleispark.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML page (inline CSS, images by relative path) built section by section. Every
 * text that comes from data (model names, image ids, URIs) is escaped here, so a name like
 * {@code <unet & co>} prints as itself instead of breaking the page.
 */
public final class HtmlPage {
    private static final String CSS = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 16px; color: #222;
                   max-width: 1300px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
            h1 { font-size: 30px; } h2 { font-size: 24px; margin-top: 40px; border-bottom: 1px solid #ccc; }
            h3 { font-size: 19px; margin-top: 24px; }
            table { border-collapse: collapse; margin: 12px 0; }
            th, td { border: 1px solid #ccc; padding: 6px 10px; text-align: right; vertical-align: middle; }
            th { background: #f2f2f2; } td.text, th.text { text-align: left; }
            figure { margin: 12px 0; } figure.plot img { width: 100%; max-width: 1000px; border: 1px solid #eee; }
            figcaption { font-size: 14px; color: #555; max-width: 1000px; }
            .gallery { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px; margin-bottom: 14px; }
            .gallery figure { margin: 0; } .gallery img { width: 100%; image-rendering: pixelated; border: 1px solid #ccc; }
            .gallery figcaption { overflow-wrap: anywhere; }
            img.thumb { width: 96px; image-rendering: pixelated; display: block; }
            .swatch { display: inline-block; width: 18px; height: 18px; border: 1px solid #444;
                      vertical-align: middle; margin: 0 6px 0 18px; }
            .note { color: #666; font-style: italic; }
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> images = new ArrayList<>();

    /** A table cell: text, or an image with its alt text. */
    public record Cell(String text, String image, String alt, boolean alignLeft) {
        public static Cell text(String text) { return new Cell(text, null, null, true); }
        public static Cell number(String text) { return new Cell(text, null, null, false); }
        public static Cell image(String src, String alt) { return new Cell(null, src, alt, true); }
    }

    /** One image of a gallery, with its caption. */
    public record Figure(String src, String alt, String caption) {}

    public HtmlPage(String title) {
        this.title = title;
    }

    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlPage note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A plot, full width, with what it shows underneath. */
    public HtmlPage plot(String src, String alt, String caption) {
        images.add(src);
        body.append("<figure class=\"plot\"><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(alt))
                .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    public HtmlPage table(List<String> header, List<List<Cell>> rows) {
        body.append("<table>\n<tr>");
        for (int i = 0; i < header.size(); i++) {
            // a column's header sits like its cells: text left, numbers right
            boolean left = rows.isEmpty() ? i == 0 : i < rows.get(0).size() && rows.get(0).get(i).alignLeft();
            body.append(left ? "<th class=\"text\">" : "<th>").append(escape(header.get(i))).append("</th>");
        }
        body.append("</tr>\n");
        for (List<Cell> row : rows) {
            body.append("<tr>");
            for (Cell c : row) {
                body.append(c.alignLeft() ? "<td class=\"text\">" : "<td>");
                if (c.image() != null) {
                    images.add(c.image());
                    body.append("<img class=\"thumb\" src=\"").append(escape(c.image())).append("\" alt=\"")
                            .append(escape(c.alt())).append("\">");
                }
                if (c.text() != null) body.append(escape(c.text()));
                body.append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** Colour swatches with their meaning, e.g. for overlay contours. */
    public HtmlPage legend(List<String> labels, List<int[]> colours) {
        body.append("<p>");
        for (int i = 0; i < labels.size(); i++) {
            int[] c = colours.get(i);
            body.append(String.format("<span class=\"swatch\" style=\"background: rgb(%d,%d,%d)\"></span>", c[0], c[1], c[2]))
                    .append(escape(labels.get(i)));
        }
        body.append("</p>\n");
        return this;
    }

    public HtmlPage gallery(List<Figure> figures) {
        body.append("<div class=\"gallery\">\n");
        for (Figure f : figures) {
            images.add(f.src());
            // scaled to a third of the page; a click opens the full resolution
            body.append("<figure><a href=\"").append(escape(f.src())).append("\"><img src=\"").append(escape(f.src()))
                    .append("\" alt=\"").append(escape(f.alt())).append("\"></a><figcaption>").append(escape(f.caption())).append("</figcaption></figure>\n");
        }
        body.append("</div>\n");
        return this;
    }

    /** Every image the page references, in order of appearance. */
    public List<String> images() {
        return List.copyOf(images);
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "</body>\n</html>\n";
    }
}

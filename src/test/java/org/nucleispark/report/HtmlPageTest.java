package org.nucleispark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.report.HtmlPage.Cell;

class HtmlPageTest {

    @Test
    void namesFromDataAreEscapedEverywhere() {
        String evil = "<script>alert('x')</script> & \"co\"";
        String html = new HtmlPage(evil)
                .heading(2, evil)
                .paragraph(evil)
                .table(List.of("evaluation", "mAP"), List.of(List.of(Cell.text(evil), Cell.number("0.500"))))
                .plot("plots/a.png", evil, evil)
                .gallery(List.of(new HtmlPage.Figure("overlays/\"x.png", evil, evil)))
                .render();
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("\"co\""), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"), html);
        assertTrue(html.contains("src=\"overlays/&quot;x.png\""), html);
        assertTrue(html.contains("<td>0.500</td>"), html);
    }

    @Test
    void listsEveryImageItReferences() {
        HtmlPage page = new HtmlPage("r")
                .plot("plots/ap.png", "ap", "caption")
                .table(List.of("type", "example"), List.of(List.of(Cell.text("1"), Cell.image("types/type-1.png", "example"))))
                .gallery(List.of(new HtmlPage.Figure("overlays/e1-best-1.png", "a", "b")));
        assertEquals(List.of("plots/ap.png", "types/type-1.png", "overlays/e1-best-1.png"), page.images());
        for (String src : page.images()) assertTrue(page.render().contains("src=\"" + src + "\""), src);
    }

    @Test
    void repeatedNamesAreNumbered() {
        assertEquals(List.of("unet", "classical", "unet (2)", "unet (3)"),
                UniqueNames.of(List.of("unet", "classical", "unet", "unet")));
        assertEquals(List.of("a (2)", "a", "a (2) (2)"), UniqueNames.of(List.of("a (2)", "a", "a (2)")));
    }
}

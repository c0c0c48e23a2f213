package org.nucleispark.track;

import java.io.Serializable;

/** One nucleus in one frame, as linking sees it: where it is and how big (pixels). */
public record Spot(int frame, double x, double y, double area) implements Serializable {
    double distanceSquared(Spot o) {
        double dx = x - o.x, dy = y - o.y;
        return dx * dx + dy * dy;
    }
}

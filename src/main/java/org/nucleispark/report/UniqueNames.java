package org.nucleispark.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Makes names distinct for legends and table headers: the second "unet" becomes "unet (2)". */
public final class UniqueNames {
    private UniqueNames() {}

    public static List<String> of(List<String> names) {
        Set<String> taken = new HashSet<>(names.size());
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            String name = n;
            for (int i = 2; taken.contains(name); i++) name = n + " (" + i + ")";
            taken.add(name);
            out.add(name);
        }
        return out;
    }
}

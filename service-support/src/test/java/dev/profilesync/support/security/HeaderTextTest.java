package dev.profilesync.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class HeaderTextTest {

    /** The expressions of Spring Security's StrictHttpFirewall (7.0) that HeaderText stands in for. */
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void printableTextPassesControlsAndUnassignedCharactersDoNot() {
        assertThat(HeaderText.value("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
        assertThat(HeaderText.value("a\tb")).isTrue();
        assertThat(HeaderText.name("a\tb")).isFalse();
        assertThat(HeaderText.value("a\nb")).isFalse();
        assertThat(HeaderText.value("a\u0085b")).isFalse();
        assertThat(HeaderText.value("caf\u00e9 \ud83d\ude00")).isTrue();
        assertThat(HeaderText.value("\u0378")).isFalse();
        assertThat(HeaderText.name("")).isTrue();
    }

    @Property(tries = 5000)
    void judgesAsTheFirewallsExpressions(@ForAll("texts") String text) {
        assertThat(HeaderText.name(text)).as("name").isEqualTo(NAME.matcher(text).matches());
        assertThat(HeaderText.value(text)).as("value").isEqualTo(VALUE.matcher(text).matches());
    }

    @Provide
    Arbitrary<String> texts() {
        // printable ASCII most of the time, then every kind of character the rules tell apart: C0 and C1 controls,
        // the tab, Latin-1, unassigned code points, private use, lone surrogates and supplementary characters
        Arbitrary<String> special = Arbitraries.of("\t", "\n", "\u0000", "\u001f", "\u007f", "\u0085", "\u009f",
                "\u00a0", "\u00e9", "\u0378", "\u2028", "\ue000", "\uffff", "\ud800", "\udc00", "\ud83d\ude00",
                new String(Character.toChars(0x10ffff)), new String(Character.toChars(0x2fffe)));
        Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(3);
        return Arbitraries.frequencyOf(Tuple.of(4, printable), Tuple.of(1, special))
                .list().ofMaxSize(12).map(parts -> String.join("", parts));
    }
}

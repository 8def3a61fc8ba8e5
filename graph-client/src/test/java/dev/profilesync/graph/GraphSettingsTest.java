package dev.profilesync.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.microsoft.graph.models.ProfilePhoto;

class GraphSettingsTest {

    @Test
    void theSecretNeverAppearsWhenSettingsArePrinted() {
        GraphSettings settings = new GraphSettings("https://graph.microsoft.com/v1.0", "contoso", "app-1",
                "s3cr3t-value");
        assertThat(settings.toString()).doesNotContain("s3cr3t-value").contains("clientSecret=***")
                .contains("app-1");
        assertThat(settings.entra()).isTrue();
        assertThat(new GraphSettings("http://127.0.0.1:8090/v1.0", "", null, null).entra()).isFalse();
    }

    @Test
    void mediaEtagIsReadFromTheAdditionalDataOrEmpty() {
        ProfilePhoto photo = new ProfilePhoto();
        photo.setAdditionalData(Map.of("@odata.mediaEtag", "W/\"abc\""));
        assertThat(MediaEtags.of(photo)).isEqualTo("W/\"abc\"");
        assertThat(MediaEtags.of(new ProfilePhoto())).isEmpty();
        assertThat(MediaEtags.of(null)).isEmpty();
    }
}

package dev.profilesync.events;

/**
 * Header names of the CloudEvents Kafka protocol binding, binary content mode: the attributes travel as {@code ce_*}
 * headers and the record value is the event data. Any CloudEvents SDK produces records in this form.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    /** The only CloudEvents version this contract speaks. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    private CloudEventHeaders() {
    }
}

package dev.profilesync.events;

import java.util.Set;

/**
 * Sources that belong to one service each and may be claimed by nobody else: the directory reader publishes as
 * {@value #GRAPH}, photo-sync announces photos as {@value #PHOTO_SYNC}. An intake client configured with either is
 * refused at start-up, so no key holder can delete users as the directory or point photos anywhere.
 */
public final class Sources {

    public static final String GRAPH = "graph";
    public static final String PHOTO_SYNC = "photo-sync";

    /** Sources no intake client may claim. */
    public static final Set<String> RESERVED = Set.of(GRAPH, PHOTO_SYNC);

    private Sources() {
    }
}

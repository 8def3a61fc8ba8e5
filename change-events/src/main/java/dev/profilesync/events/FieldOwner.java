package dev.profilesync.events;

/**
 * Who masters a profile field. Directory-mastered fields come only from the directory (Graph or another directory
 * source); user-owned fields only from self-service; photo fields only from photo-sync.
 */
public enum FieldOwner {
    DIRECTORY,
    SELF_SERVICE,
    PHOTO
}

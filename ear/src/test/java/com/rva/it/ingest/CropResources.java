package com.rva.it.ingest;

/** Where the in-server tests find the crops {@link IngestCrops} packed into their deployment. */
final class CropResources {

    private CropResources() {
    }

    /** The resource name of the crop of a photo (identity/file under ../shared/faces). */
    static String name(String photo) {
        return "it-crops/" + photo.replace('/', '-').replaceAll("\\.\\w+$", ".jpg");
    }
}

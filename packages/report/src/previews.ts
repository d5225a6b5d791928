// What the web view renders from the applicant's files, kept apart from the
// rest of the report because it loads the image and PDF readers: run it in a
// worker that can be stopped (services/report's preview worker does).
export { renderScanPages, type RenderPagesOptions } from "./page-image.js";
export { readWordDocument } from "@intake/form";

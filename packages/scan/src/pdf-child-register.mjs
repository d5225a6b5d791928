// Installs pdf-child-loader.mjs for the PDF process (node --import this file).
import { register } from "node:module";

register("./pdf-child-loader.mjs", import.meta.url);

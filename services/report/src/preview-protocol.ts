import type { DocModel } from "@intake/form";
import type { ScanFileType } from "@intake/scan";

export type PreviewRequest =
  | { id: number; op: "pages"; files: { name: string; type: ScanFileType; content: Uint8Array }[]; rotations: Record<number, number>; maxSide?: number }
  | { id: number; op: "word"; content: Uint8Array; fileName: string; type: "docx" | "ole"; call: unknown };

export type PreviewReply =
  | { id: number; ok: true; pages?: (Uint8Array | null)[]; doc?: DocModel }
  | { id: number; ok: false; error: string };

/** Values of the model that are plain strings (no zod), so the CLI's start-up path can use them without building schemas. */

/** Stands for a value Terraform knows only after apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

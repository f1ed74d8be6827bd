// Stands for cli-highlight in the bundle (see scripts/build.mjs): code blocks are printed as they are.
export function highlight(code) {
  return code;
}

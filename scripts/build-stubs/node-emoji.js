// Stands for node-emoji in the bundle (see scripts/build.mjs): no `:shortcode:` is an emoji.
export function get() {
  return undefined;
}

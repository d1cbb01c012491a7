// Stylelint for the HTML page's style (src/layermodel/diagrams/html/assets/*.css), run
// by `make lint-assets` from the repository root: the recommended rules, which catch
// unknown or invalid properties, values, selectors and units, duplicate properties and
// selectors, empty blocks, deprecated properties and rules that a later, less specific
// selector would silently undo.
export default {
  extends: ["stylelint-config-recommended"],
};

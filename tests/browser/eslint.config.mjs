// ESLint for the HTML page's script (src/layermodel/diagrams/html/assets/*.js), run by
// `make lint-assets` from the repository root (with --config, ESLint resolves the file
// patterns below from the working directory). The script is a classic browser script
// (no modules, ES2015 at most), inlined into the page under a Content-Security-Policy.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ...js.configs.recommended, files: ["src/**/*.js"] },
  {
    files: ["src/**/*.js"],
    languageOptions: {
      ecmaVersion: 2015,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-var": "off",
      eqeqeq: "error",
      strict: ["error", "function"],
      "no-implicit-globals": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
    },
  },
];

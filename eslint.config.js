import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".data/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: [] }],
    },
  },
  {
    files: ["src/cli.ts", "src/cli/**", "bench/**", "demo/**", "bin/**", "test/**"],
    rules: { "no-console": "off" },
  },
);

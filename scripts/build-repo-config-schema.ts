// Writes docs/ci-mender.schema.json from the zod schema of .github/ci-mender.yml (a test fails when they differ).
import { writeFileSync } from "node:fs";
import { repoConfigJsonSchema } from "../src/repo-config.ts";

const target = new URL("../docs/ci-mender.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);

// Compiles every Solidity source in src/ with the pinned solc from package-lock.json and writes one
// artifact per contract (ABI, bytecode, deployed size) to the folder given as the first argument.
import { createRequire } from "node:module";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const solc = require("solc");

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = join(here, "src");
const outDir = process.argv[2] ?? join(here, "artifacts");

const sources = Object.fromEntries(
  readdirSync(sourceDir)
    .filter((f) => f.endsWith(".sol"))
    .sort()
    .map((f) => [f, { content: readFileSync(join(sourceDir, f), "utf8") }]),
);

const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 1000 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
  },
};

// Imports outside src/ come from the pinned npm packages (e.g. @openzeppelin/contracts in package-lock.json).
function findImports(path) {
  try {
    return { contents: readFileSync(join(here, "node_modules", path), "utf8") };
  } catch {
    return { error: `import not found in node_modules: ${path}` };
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
// solc's code-size warning (5574) is EIP-170's 24,576 bytes; the limit this chain enforces is checked below instead.
const problems = (output.errors ?? []).filter((p) => p.errorCode !== "5574");
for (const p of problems) console.error(p.formattedMessage);
// Warnings fail the build too, as TreatWarningsAsErrors does for C#.
if (problems.some((p) => p.severity !== "info")) process.exit(1);

mkdirSync(outDir, { recursive: true });
// The consortium chain raises EIP-170's 24,576-byte limit to 48 KiB (Besu genesis `contractSizeLimit`, anvil
// `--code-size-limit`): see README "A real consortium chain". Keep the contract under it.
const maxRuntime = 49152;
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!(file in sources)) continue; // library code imported from node_modules is part of our contracts, not an artifact

  for (const [name, c] of Object.entries(contracts)) {
    const bytecode = c.evm.bytecode.object;
    if (!bytecode || c.abi.length === 0) continue; // abstract contracts, constant-only libraries
    const runtimeSize = c.evm.deployedBytecode.object.length / 2;
    if (runtimeSize > maxRuntime) {
      console.error(`${name}: runtime ${runtimeSize} bytes exceeds the ${maxRuntime}-byte limit`);
      process.exit(1);
    }
    const artifact = { contractName: name, sourceName: file, compiler: solc.version(), abi: c.abi, bytecode: "0x" + bytecode, runtimeSize };
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(artifact, null, 2) + "\n");
    console.log(`${name}: ${runtimeSize} bytes runtime (${file}, solc ${solc.version()})`);
  }
}

// Typesets a Typst source to PDF with @myriaddreamin/typst-ts-node-compiler,
// for scripts/bench.sh: node typst.js MAIN.typ FONTDIR OUT.pdf [N]
// writes OUT.pdf once (the whole process is the cold figure) and, with N,
// compiles N more times in the same process (the caches warm) and prints
// the CPU time per warm compile in ms ("warm-cpu-ms X").
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');
const [main, fontDir, out, n] = process.argv.slice(2);
const compiler = NodeCompiler.create({ workspace: path.dirname(main), fontArgs: [{ fontPaths: [fontDir] }] });
const src = fs.readFileSync(main, 'utf8');
fs.writeFileSync(out, compiler.pdf({ mainFileContent: src }));
const runs = Number(n || 0);
if (runs > 0) {
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) compiler.pdf({ mainFileContent: src });
  const used = process.cpuUsage(before);
  console.log(`warm-cpu-ms ${((used.user + used.system) / 1000 / runs).toFixed(2)}`);
}

// Reads a JSON array of [latex, variables] pairs on stdin and writes the answer texts as a
// JSON array: the bridge tests/test_formula_js.py uses to send the bank through
// formula-text.js.
"use strict";

const {latexToAnswer} = require("../../app/static/formula-text.js");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(([latex, variables]) => latexToAnswer(latex, variables))));
});

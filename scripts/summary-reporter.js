// Writes a one-line machine-readable summary of the jest run, which .ci/run reads:
// jest's own summary goes to stderr in a form that is awkward to parse.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', '.test-results');
    fs.mkdirSync(dir, { recursive: true });
    const failedSuites = results.testResults.filter((r) => r.testExecError).length;
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + failedSuites,
      skipped: results.numPendingTests,
    };
    fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(summary)}\n`);
  }
}
module.exports = SummaryReporter;

// Imported first by each entry point, for its side effect: on a terminal the
// live view redraws in place; ink would print only the last frame when CI is
// set in the environment (it reads CI once, at import), so a terminal wins over
// that hint: clear it before the CLI (and ink) loads.
if (process.stdout.isTTY && process.stdin.isTTY) {
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
}

// Ink prints only the last frame when CI is set; the suite runs with CI=true in CI.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];

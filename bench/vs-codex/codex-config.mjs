// What Codex 0.169 needs, beyond the shared config.toml, to run offline against the fake model
// server (found by probing it under strace): without `features.plugins = false` every start runs
// `git ls-remote` of its plugin repository and looks up three hosts; `shell_snapshot` starts a login
// shell per thread; analytics and the update check are off so nothing else reaches out.
export const CODEX_TOP_LEVEL = ['check_for_update_on_startup = false'];
export const CODEX_TABLES = ['[analytics]', 'enabled = false', '', '[features]', 'plugins = false', 'shell_snapshot = false', ''];

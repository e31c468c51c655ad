// Files and search, for the model's tools and the fs/* methods: a pure library (no engine, no
// server, no wire). Paths are absolute; every function that walks or reads takes an AbortSignal and
// stops with it; errors are DomainErrors that name the path and the cause (fs-errors.ts).
//
// What is left out of walks, searches, listings and globs, everywhere alike (walk.ts): `.git`;
// entries whose names start with `.` (unless asked, or an ignore file or glob picks them); and what
// the ignore files exclude, as ripgrep reads them (ignore-chain.ts): .gitignore files (the
// directory's own, nested ones, and those above it up to the repository root) and
// .git/info/exclude count inside a git work tree only; .ignore and .rgignore count anywhere.
export { readFileRange, READ_DEFAULTS, type FileRange, type ReadRangeOptions, type TextRange, type BinaryFile } from './read-range.js';
export { listDirectory, LIST_DEFAULTS, type ListEntry, type Listing, type ListOptions } from './list-directory.js';
export { searchFiles, type SearchOptions } from './search.js';
export { SEARCH_DEFAULTS, type SearchMatch, type SearchResult, type SearchBackend } from './search-types.js';
export { findRipgrep } from './ripgrep.js';
export { globFiles, GLOB_DEFAULTS, type GlobOptions, type GlobResult } from './glob-files.js';
export { fuzzyFileSearch, FUZZY_DEFAULTS, type FuzzyFileHit, type FuzzyFileSearchOptions } from './fuzzy-search.js';
export { FuzzyQuery, type FuzzyScore } from './fuzzy-match.js';
export { formatFileRange, formatGlobResult, formatListing, formatSearchResult, numberLines } from './format.js';
export { watchPath, WATCH_DEBOUNCE_MS, type PathWatch, type WatchOptions } from './watch.js';
export * as hostFs from './host-fs.js';
export type { EntryKind } from './walk.js';

// See valibot.ts: one module per dependency, named in full. semver is CommonJS: importing it
// starts Deno's Node layer (about 50 ms in a fresh process), so src/_util/semver.ts loads it only
// when a version or range is not plain, and src/manifest/mod.ts (the sync public API) up front.
// @ts-types="npm:@types/semver@^7.7.0"
import semver from "npm:semver@^7.7.0";
export default semver;

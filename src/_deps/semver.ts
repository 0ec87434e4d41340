// See valibot.ts: one module per dependency, named in full. semver is CommonJS: loading it
// costs about 20 ms of start-up, so only src/_util/semver.ts imports this, and only when a
// version must really be compared.
// @ts-types="npm:@types/semver@^7.7.0"
import semver from "npm:semver@^7.7.0";
export default semver;

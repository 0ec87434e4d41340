// Makes sure FFmpeg is here for the synthetic video tests (AIPerf generates its videos with
// FFmpeg too): `ffmpeg` and `ffprobe` on PATH. On a Debian machine run as root (CI), installs
// Debian's `ffmpeg` package; anywhere else, says how to get one and fails, so `deno task test`
// never half-runs.

import { aptInstall, canApt } from "./_debian_package.ts";

async function found(command: string): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(command, {
      args: ["-version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

if (!await found("ffmpeg") || !await found("ffprobe")) {
  if (!await canApt()) {
    console.error(
      "No ffmpeg/ffprobe on PATH; the synthetic video tests encode and probe videos with them. " +
        'Install FFmpeg (Debian/Ubuntu: "apt-get install -y ffmpeg", macOS: "brew install ffmpeg").',
    );
    Deno.exit(1);
  }
  console.error("Installing ffmpeg from the Debian packages (the synthetic video tests need it)");
  await aptInstall(["--no-install-recommends", "ffmpeg"]);
}

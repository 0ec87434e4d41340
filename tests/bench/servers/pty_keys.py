# Runs a command in a pseudo-terminal, as a person at a terminal would, and presses keys:
# python3 pty_keys.py '<JSON>' with {"command": [...], "cwd": "...", "wait_for": "text",
# "presses": [[seconds after wait_for, "\u0003"], ...], "timeout": seconds}.
# The command is the terminal's foreground process group, so Ctrl-C (\x03) written to the
# terminal reaches every process in it (deno task and the bench), exactly like a keypress.
# Prints one JSON line: {"status": exit status (128 + n when killed by signal n), "output",
# "after_first_press": seconds from the first press to the exit}.
import json, os, pty, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvp(spec["command"][0], spec["command"])

output = b""
deadline = time.monotonic() + spec.get("timeout", 60)
ready_at = None
presses = list(spec.get("presses", []))
first_press = None
status = None
while time.monotonic() < deadline:
    if ready_at is None and spec["wait_for"].encode() in output:
        ready_at = time.monotonic()
    while ready_at is not None and presses and time.monotonic() >= ready_at + presses[0][0]:
        os.write(fd, presses.pop(0)[1].encode())
        first_press = first_press or time.monotonic()
    readable, _, _ = select.select([fd], [], [], 0.01)
    if readable:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        output += chunk
done, raw = os.waitpid(pid, 0 if status is None and time.monotonic() < deadline else os.WNOHANG)
if done == 0:
    os.kill(pid, 9)
    done, raw = os.waitpid(pid, 0)
    status = -1
else:
    status = os.waitstatus_to_exitcode(raw)
    if status < 0:
        status = 128 - status
print(json.dumps({
    "status": status,
    "output": output.decode(errors="replace"),
    "after_first_press": None if first_press is None else time.monotonic() - first_press,
}))

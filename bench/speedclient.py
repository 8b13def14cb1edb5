#!/usr/bin/env python3
"""The request loops of bench/speed.sh that wrk cannot do: a fixed number of small PUTs over a few keep-alive
connections, and a chain of nested MKCOLs with the tree operations on it; and the floor under the small PUTs, the
file calls alone that a durable PUT needs (diskfloor). Each prints its figure in seconds and
exits non-zero on the first answer that is not what the server should give."""
import http.client
import os
import sys
import threading
import time


def connect(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=600)


def call(conn, method, path, body=None, headers=None, expect=(200, 201, 204, 207)):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    if response.status not in expect:
        raise SystemExit(f"{method} {path[:80]}... answered {response.status}")
    return data


def timed_in_threads(count, work):
    """Runs work(first) on `count` threads at once, first = 0 .. count - 1, and prints the seconds they took; the
    first exception of any thread ends the run with its message."""
    errors = []

    def guarded(first):
        try:
            work(first)
        except BaseException as e:  # noqa: BLE001 - reported below, the run fails
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(str(errors[0]))
    print(f"{elapsed:.3f}")


def puts(port, folder, count, connections, size):
    """PUTs `count` new files of `size` bytes into `folder` over `connections` keep-alive connections at once."""
    body = b"x" * size
    conn = connect(port)
    call(conn, "MKCOL", folder, expect=(201, 405))
    conn.close()

    def worker(first):
        c = connect(port)
        for i in range(first, count, connections):
            call(c, "PUT", f"{folder}f{i:05}.bin", body, {"Content-Type": "application/octet-stream"}, (201, 204))
        c.close()

    timed_in_threads(connections, worker)


def chain(port, top, depth, ops):
    """MKCOL `top`, then `depth` - 1 nested folders named "d" below it, one request each over one connection.
    With `ops`, then also PROPFIND Depth 0 of the deepest folder, PROPFIND Depth 1 of the top one, COPY, MOVE and
    DELETE of the whole chain, and prints their total time second."""
    conn = connect(port)
    path = top
    start = time.perf_counter()
    call(conn, "MKCOL", path, expect=(201,))
    for _ in range(depth - 1):
        path += "d/"
        call(conn, "MKCOL", path, expect=(201,))
    made = time.perf_counter() - start
    if not ops:
        print(f"{made:.3f}")
        return
    start = time.perf_counter()
    call(conn, "PROPFIND", path, b'<propfind xmlns="DAV:"><allprop/></propfind>', {"Depth": "0"}, (207,))
    call(conn, "PROPFIND", top, b'<propfind xmlns="DAV:"><allprop/></propfind>', {"Depth": "1"}, (207,))
    copy = top.rstrip("/") + "-copy/"
    moved = top.rstrip("/") + "-moved/"
    host = {"Host": f"127.0.0.1:{port}"}
    call(conn, "COPY", top, headers={**host, "Destination": f"http://127.0.0.1:{port}{copy}", "Depth": "infinity"}, expect=(201,))
    call(conn, "MOVE", copy, headers={**host, "Destination": f"http://127.0.0.1:{port}{moved}"}, expect=(201,))
    call(conn, "DELETE", moved, expect=(204,))
    call(conn, "DELETE", top, expect=(204,))
    print(f"{made:.3f} {time.perf_counter() - start:.3f}")


class SharedFlush:
    """fsync of one folder shared by threads: a caller returns once a flush that began after its call has ended."""

    def __init__(self, fd):
        self.fd = fd
        self.cv = threading.Condition()
        self.begun = 0
        self.ended = 0
        self.running = False

    def flush(self):
        with self.cv:
            needed = self.begun + 1
            while self.ended < needed:
                if self.running:
                    self.cv.wait()
                    continue
                self.running = True
                self.begun += 1
                ticket = self.begun
                self.cv.release()
                try:
                    os.fsync(self.fd)
                finally:
                    self.cv.acquire()
                    self.ended = ticket
                    self.running = False
                    self.cv.notify_all()


def diskfloor(folder, count, threads, size):
    """The file calls alone that a durable small PUT needs, without HTTP: each of `threads` threads writes its share of
    `count` new files of `size` bytes into a staging folder, flushes each one's data, renames it into `folder`, and
    waits for a flush of `folder` that began after its rename (shared between threads, as Davit shares it)."""
    staging = os.path.join(folder, ".staging")
    os.makedirs(staging, exist_ok=True)
    target = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    shared = SharedFlush(target)
    body = b"x" * size

    def worker(first):
        for i in range(first, count, threads):
            staged = os.path.join(staging, f"s{i:05}")
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, body)
                os.fdatasync(fd)
            finally:
                os.close(fd)
            os.rename(staged, os.path.join(folder, f"f{i:05}.bin"))
            shared.flush()

    try:
        timed_in_threads(threads, worker)
    finally:
        os.close(target)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "diskfloor":
        diskfloor(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        sys.exit(0)
    port = int(sys.argv[2])
    if command == "puts":
        puts(port, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif command == "chain":
        chain(port, sys.argv[3], int(sys.argv[4]), len(sys.argv) > 5 and sys.argv[5] == "ops")
    else:
        raise SystemExit(f"unknown command {command}")

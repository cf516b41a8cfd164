"""A minimal asyncio WebSocket client that speaks Engine.IO v4 / Socket.IO v5, for load tests.

Written for fanout_client.py: one asyncio.Protocol per connection, no per-message coroutine, so
one Python process can keep up with many thousands of deliveries per second. It does only what
the fan-out benchmark needs: the HTTP/1.1 upgrade (RFC 6455 client handshake), unmasked server
frames of any length (fragmented ones included), masked client text frames, close and ping/pong
frames; Engine.IO open (`0…`) → Socket.IO connect of "/" (`40`), heartbeat `2` → `3`, events `42…`.
"""
import asyncio
import base64
import os
import re
import time

_FANOUT_SEQ = re.compile(rb'^42\["fanout",\s*\{.*?"seq":\s*(\d+)')


class HandshakeError(Exception):
    """The server refused the WebSocket upgrade or the Socket.IO connect."""


def fanout_seq(payload: bytes):
    """The `seq` of a Socket.IO packet `42["fanout",{"seq":N,…}]`, else None."""
    match = _FANOUT_SEQ.match(payload)
    return int(match.group(1)) if match else None


def client_frame(payload: bytes, opcode: int = 1) -> bytes:
    """One final, masked client frame (RFC 6455 §5.2–5.3)."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    if n == 0:
        return header + mask
    keystream = (mask * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(keystream, "big")).to_bytes(n, "big")
    return header + mask + masked


class EngineIOClient(asyncio.Protocol):
    """One Socket.IO client of namespace "/" over a raw WebSocket.

    `connected` resolves when the server answered the Socket.IO connect; `on_event(payload,
    received_time)` is called for every `42…` event packet, with time.perf_counter() taken as
    soon as the frame was parsed.
    """

    def __init__(self, host, port, path, cookie, on_event):
        loop = asyncio.get_running_loop()
        self.request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                        + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode()
        self.on_event = on_event
        self.connected = loop.create_future()
        self.closed = loop.create_future()
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments = None  # (opcode, [parts]) of a message in progress

    # asyncio.Protocol

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[: end + 4]
            if not status.startswith(b"HTTP/1.1 101"):
                self._fail(HandshakeError(f"upgrade refused: {status.decode(errors='replace')}"))
                return
            self.upgraded = True
        self._parse_frames()

    def connection_lost(self, exc):
        self._fail(exc or HandshakeError("connection closed"))
        if not self.closed.done():
            self.closed.set_result(None)

    # sending

    def send_text(self, text: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(text))

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame((1000).to_bytes(2, "big"), opcode=8))
            self.transport.close()

    # receiving

    def _fail(self, error) -> None:
        if not self.connected.done():
            self.connected.set_exception(error)
            if self.transport is not None:
                self.transport.close()

    def _parse_frames(self) -> None:
        buf, pos, size = self.buffer, 0, len(self.buffer)
        while size - pos >= 2:
            first, second = buf[pos], buf[pos + 1]
            length, header = second & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, header = int.from_bytes(buf[pos + 2: pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, header = int.from_bytes(buf[pos + 2: pos + 10], "big"), 10
            if second & 0x80:  # servers never mask (RFC 6455 §5.1)
                self._fail(HandshakeError("masked frame from the server"))
                self.transport.close()
                return
            if size - pos < header + length:
                break
            payload = bytes(buf[pos + header: pos + header + length])
            pos += header + length
            self._frame(first & 0x0F, first & 0x80, payload)
        if pos:
            del buf[:pos]

    def _frame(self, opcode, final, payload) -> None:
        if opcode == 0 and self.fragments is not None:
            self.fragments[1].append(payload)
            if not final:
                return
            opcode, parts = self.fragments
            self.fragments, payload = None, b"".join(parts)
        elif not final and opcode in (1, 2):
            self.fragments = (opcode, [payload])
            return
        if opcode == 1:
            self._packet(payload)
        elif opcode == 8:
            self.close()
        elif opcode == 9:
            self.transport.write(client_frame(payload, opcode=10))

    def _packet(self, packet: bytes) -> None:
        if packet.startswith(b"42"):
            self.on_event(packet, time.perf_counter())
        elif packet == b"2":
            self.send_text(b"3")
        elif packet.startswith(b"0"):
            self.send_text(b"40")
        elif packet.startswith(b"40"):
            if not self.connected.done():
                self.connected.set_result(None)
        elif packet.startswith(b"44"):
            self._fail(HandshakeError(f"connect refused: {packet.decode(errors='replace')}"))
        elif packet == b"1" or packet.startswith(b"41"):
            self.close()


async def open_client(host, port, cookie, on_event, timeout=30.0) -> EngineIOClient:
    """Connects one client to `/socket.io/` on host:port and waits for the Socket.IO connect."""
    loop = asyncio.get_running_loop()
    path = "/socket.io/?EIO=4&transport=websocket"
    _, client = await asyncio.wait_for(
        loop.create_connection(lambda: EngineIOClient(host, port, path, cookie, on_event),
                               host, port), timeout)
    try:
        await asyncio.wait_for(asyncio.shield(client.connected), timeout)
    except BaseException:
        client.close()
        if client.transport is not None:
            client.transport.close()
        raise
    return client

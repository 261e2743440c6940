//! The connection layer under hyper. hyper answers some requests on its own, before any
//! service runs: 414 for a URL over 64 KB (a hard limit of the `http` crate), 431 for too many
//! or too large headers, 400 for a request line or header it cannot parse. Those answers have
//! an empty body and no CORS headers, so a browser client sees only an opaque network error.
//!
//! [`Guarded`] wraps a listener so that every connection's output passes through
//! [`GuardedIo`], which recognises such an automatic answer (an error status, headers only,
//! an empty body and no `Access-Control-Allow-Origin`, which every answer of the app carries)
//! and sends instead the same status with the CORS headers and a JSON `{"error": "..."}` body.
//! Everything else passes through untouched.

use axum::serve::Listener;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A listener whose connections are [`GuardedIo`].
#[derive(Debug)]
pub struct Guarded<L>(pub L);

impl<L: Listener> Listener for Guarded<L> {
    type Io = GuardedIo<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = self.0.accept().await;
        (GuardedIo::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection that rewrites hyper's automatic error answers (see the module docs).
#[derive(Debug)]
pub struct GuardedIo<T> {
    inner: T,
    /// A rewritten answer still to be sent, and how much of it is sent.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> GuardedIo<T> {
    /// Wraps a connection.
    pub fn new(inner: T) -> Self {
        GuardedIo { inner, pending: Vec::new(), sent: 0 }
    }
}

impl<T: AsyncWrite + Unpin> GuardedIo<T> {
    /// Sends what is left of a rewritten answer.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for GuardedIo<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for GuardedIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        if let Some(answer) = rewrite_automatic_answer(buf) {
            // Taken whole; sent by the next write, flush or shutdown (hyper flushes at once).
            this.pending = answer;
            this.sent = 0;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    /// Not vectored: hyper then writes each answer's head in one contiguous buffer, which is
    /// what [`rewrite_automatic_answer`] inspects.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

/// If `buf` is exactly the head of one of hyper's automatic error answers, the answer to send
/// instead: same status, the CORS headers, a JSON body, `connection: close` (hyper closes the
/// connection after such an answer).
pub fn rewrite_automatic_answer(buf: &[u8]) -> Option<Vec<u8>> {
    let rest = buf.strip_prefix(b"HTTP/1.")?;
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    if end + 4 != buf.len() || rest.len() < 6 || rest[1] != b' ' {
        return None;
    }
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let code: u16 = status_line.get(9..12)?.parse().ok()?;
    let status = axum::http::StatusCode::from_u16(code).ok()?;
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let mut kept = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            // An answer of the app, or one with a body: not hyper's.
            "access-control-allow-origin" | "content-type" | "transfer-encoding" => return None,
            "content-length" if value.trim() != "0" => return None,
            "content-length" | "connection" => {}
            _ => kept.push(line),
        }
    }
    let body = serde_json::to_vec(&crate::error::generic_body(status)).ok()?;
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(status_line.as_bytes());
    out.extend_from_slice(b"\r\n");
    for line in kept {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-type: {}\r\naccess-control-allow-origin: *\r\naccess-control-expose-headers: Location\r\n\
             vary: Origin\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
            crate::json::JSON_TYPE,
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_automatic_error_answers() {
        let canned = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Mon, 04 Mar 2024 09:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite_automatic_answer(canned).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 414 URI Too Long\r\ndate: Mon, 04 Mar 2024 09:00:00 GMT\r\n"));
        assert!(out.contains("\r\naccess-control-allow-origin: *\r\n"));
        assert!(out.contains("\r\ncontent-type: application/json; charset=utf-8\r\n"));
        assert!(out.ends_with("\r\n\r\n{\"error\":\"URI Too Long\"}"));
        let n: usize = out.split("content-length: ").nth(1).unwrap().split("\r\n").next().unwrap().parse().unwrap();
        assert_eq!(n, "{\"error\":\"URI Too Long\"}".len());
        for untouched in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 100 Continue\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\naccess-control-allow-origin: *\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 5\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nextra",
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 431",
            b"some body bytes",
            b"",
        ] {
            assert_eq!(rewrite_automatic_answer(untouched), None, "{}", String::from_utf8_lossy(untouched));
        }
    }
}

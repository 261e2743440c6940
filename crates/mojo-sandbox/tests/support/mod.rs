//! Test support shared by the contract suite: the stand-in started in-process, the native
//! executor of `mojo-api` request descriptions, and a validator for the vendor's OpenAPI schemas.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

pub mod executor;
pub mod openapi;

use mojo_sandbox::{AppState, Config, DEFAULT_SEED, DemoKeys};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The stand-in on 127.0.0.1:<free port> with the demo seed, in memory.
pub struct Sandbox {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// The demo keys.
    pub keys: DemoKeys,
    /// The stand-in's state (its database, for checks written in plain SQL).
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
}

impl Sandbox {
    /// Starts a fresh in-memory stand-in.
    pub async fn start() -> Sandbox {
        let state = mojo_sandbox::open(&Config::memory(DEFAULT_SEED)).expect("open");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(mojo_sandbox::serve(listener, state.clone(), None, async {
            let _ = rx.await;
        }));
        Sandbox { base: format!("http://{addr}"), keys: state.demo_keys(), state, stop: Some(tx), handle: Some(handle) }
    }

    /// Stops it and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
    }
}

/// A small deterministic generator (xorshift), so every run sends the same inputs.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

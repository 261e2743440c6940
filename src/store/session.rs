//! The connection: present when a verified base URL and key are saved on this device.

use crate::api::{Client, credentials};
use leptos::prelude::*;

/// The signed-in connection, shared by every screen.
#[derive(Clone, Copy)]
pub struct Session {
    client: RwSignal<Option<Client>>,
    /// The helpdesk refused a write because the key is read-only ([`crate::store::abilities`]).
    read_only: RwSignal<bool>,
}

impl Session {
    /// Reads the saved connection, if any.
    pub fn from_storage() -> Self {
        Session {
            client: RwSignal::new(Client::from_storage()),
            read_only: RwSignal::new(crate::store::abilities::read_only()),
        }
    }

    /// True once a write was refused because the key is read-only (reactive; until sign-out).
    pub fn read_only(&self) -> bool {
        self.read_only.get()
    }

    /// Reads again what this or another tab learnt about the key being read-only.
    pub fn follow_read_only(&self) {
        let now = crate::store::abilities::read_only();
        if self.read_only.get_untracked() != now {
            self.read_only.set(now);
        }
    }

    /// The client, or `None` when signed out (reactive).
    pub fn client(&self) -> Option<Client> {
        self.client.get()
    }

    /// The client without tracking (inside async work).
    pub fn client_untracked(&self) -> Option<Client> {
        self.client.get_untracked()
    }

    /// Saves a connection that a call has just verified.
    pub fn sign_in(&self, client: Client, key: &str) -> Result<(), String> {
        credentials::save(client.base(), key)?;
        crate::store::abilities::forget();
        self.read_only.set(false);
        self.client.set(Some(client));
        Ok(())
    }

    /// Forgets the key on this device and stops every request of the old connection.
    pub fn sign_out(&self) {
        credentials::clear();
        crate::store::abilities::forget();
        self.read_only.set(false);
        self.replace(None);
    }

    /// Follows a sign-in or sign-out made in another tab (the `storage` event): this tab must not
    /// keep using a key the agent removed elsewhere.
    pub fn follow_storage(&self) {
        let fresh = Client::from_storage();
        let same = match (&fresh, &self.client.get_untracked()) {
            (Some(a), Some(b)) => a.base() == b.base() && a.same_key(b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.replace(fresh);
        }
        self.follow_read_only();
    }

    fn replace(&self, next: Option<Client>) {
        if let Some(old) = self.client.get_untracked() {
            old.revoke();
        }
        self.client.set(next);
    }
}

/// The session from context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

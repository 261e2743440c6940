fn main() {
    leptos::mount::mount_to_body(mojo_dashboard::App);
}

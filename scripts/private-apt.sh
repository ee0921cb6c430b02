# Sourced by the scripts that fetch packages of another Debian suite (tests/vm/fetch-kernel.sh,
# scripts/fetch-docker-engine.sh): apt with a source list, lists and caches of its own under DIR,
# never the system's, so this machine's apt configuration is never touched.
#   private_apt DIR SUITE   sets the array apt_private (options for apt-get and apt-cache) and
#                           updates that suite's package lists
private_apt() {
    local apt_dir=$1/apt suite=$2
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
    echo "deb http://deb.debian.org/debian $suite main" > "$apt_dir/sources.list"
    apt_private=(-o Dir::Etc::sourcelist="$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
                 -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::archives="$apt_dir/archives"
                 -o Dir::Cache::pkgcache="$apt_dir/pkgcache.bin"
                 -o Dir::Cache::srcpkgcache="$apt_dir/srcpkgcache.bin" -o APT::Get::List-Cleanup=0
                 -o APT::Sandbox::User=root)
    apt-get "${apt_private[@]}" update -qq >&2
}

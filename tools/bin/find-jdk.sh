# Sourced by ./quiver, tools/test and bench/run: sets QUIVER_JAVA_HOME to a JDK >= 25, or explains what is missing.
# JAVA_HOME wins when it is a JDK 25+; otherwise the newest JDK 25+ under /usr/lib/jvm.

quiver_java_feature() {  # prints the feature release (17, 25, ...) of the JDK at $1, or nothing
    local release="$1/release"
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$release" ] || return 0
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

quiver_find_jdk() {
    local min=25 best="" best_feature=0 candidate feature
    if [ -n "${JAVA_HOME:-}" ]; then
        feature=$(quiver_java_feature "$JAVA_HOME")
        if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
            QUIVER_JAVA_HOME="$JAVA_HOME"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -L "$candidate" ] && continue
        feature=$(quiver_java_feature "$candidate")
        if [ -n "$feature" ] && [ "$feature" -ge "$min" ] && [ "$feature" -gt "$best_feature" ]; then
            best="$candidate"
            best_feature="$feature"
        fi
    done
    if [ -z "$best" ]; then
        echo "quiver: no JDK $min or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm); install one, e.g. Temurin 25, or point JAVA_HOME at it." >&2
        return 1
    fi
    QUIVER_JAVA_HOME="$best"
}

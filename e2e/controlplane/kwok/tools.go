//go:build tools

// The program this module builds (build.sh); never compiled as a package of its own.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"

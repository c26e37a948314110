// Package deploy holds no code: the container and Kubernetes manifests live
// beside it (../Dockerfile, kubernetes/), and its tests check that they
// parse and carry the probes, limits, security settings and autoscaling
// the service relies on. See README.md.
package deploy

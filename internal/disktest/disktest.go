// Package disktest gives tests real disks in trouble: ext4 in a
// loop-mounted image file (to cut the power under it, make it read-only,
// or raise a disk error), a tiny tmpfs to fill up, and a read-only view of
// a folder. Each is unmounted when the test ends.
//
// It needs root and the Debian packages e2fsprogs and mount (mkfs.ext4,
// losetup, mount); without them, or under -short, the test is skipped
// with a message saying what is missing.
//
//	mnt, img := disktest.Ext4(t, 64)
//	db, err := sqlite.Open(ctx, filepath.Join(mnt, "buurtbalie.db"))
//	…
//	cut := disktest.Mount(t, disktest.Copy(t, img)) // what reached the device
package disktest

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Need skips the test unless it runs as root, without -short, with the
// mount tools and the given ones.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("mounts file systems; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a file system (run the tests as root, as packaging/dev/test.sh does)")
	}
	for _, tool := range append(tools, "mount", "umount") {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (Debian packages e2fsprogs, mount): %v", tool, err)
		}
	}
}

// Run runs a command, failing the test when it fails, and returns its
// output.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Ext4 makes an ext4 image of size MiB with mkfs.ext4's defaults (as
// Debian's installer makes the root file system), mounted with
// errors=remount-ro (as Debian's fstab has it), and returns the folder it
// is mounted on and the image file.
func Ext4(t testing.TB, size int) (mnt, img string) {
	t.Helper()
	Need(t, "losetup", "mkfs.ext4")
	img = filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(int64(size) << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	Run(t, "mkfs.ext4", "-q", "-F", img)
	return Mount(t, img), img
}

// Mount loop-mounts the ext4 image img on a new folder, with
// errors=remount-ro, and returns the folder. Mounting replays the
// journal, as a boot does.
func Mount(t testing.TB, img string) string {
	t.Helper()
	Need(t, "losetup")
	dev, err := exec.Command("losetup", "-f", "--show", img).CombinedOutput()
	if err != nil {
		t.Skipf("no loop device in this sandbox (losetup: %v: %s)", err, dev)
	}
	loop := strings.TrimSpace(string(dev))
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "ext4", "-o", "errors=remount-ro", loop, mnt).CombinedOutput(); err != nil {
		exec.Command("losetup", "-d", loop).Run()
		t.Skipf("cannot mount ext4 on %s here: %v: %s", loop, err, out)
	}
	t.Cleanup(func() {
		// Lazily, so that a file a failed test left open does not keep
		// the loop device.
		exec.Command("umount", "-l", mnt).Run()
		exec.Command("losetup", "-d", loop).Run()
	})
	return mnt
}

// Copy copies the file at path into a new temp folder, under the same
// name, and returns the copy's path. Of an image under a loop device it
// is what the file system has sent to the device: what the page cache
// still holds is not in it, as after a power cut.
func Copy(t testing.TB, path string) string {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(t.TempDir(), filepath.Base(path))
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

// Tmpfs mounts a tmpfs of size (as mount's size=, such as "4m") on a new
// folder and returns it.
func Tmpfs(t testing.TB, size string) string {
	t.Helper()
	Need(t)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// Fill writes a file into dir until its file system is full, and returns
// the file's path: removing it makes the room again.
func Fill(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 64<<10)
	for {
		if _, err := f.Write(block); err != nil {
			return path // ENOSPC
		}
	}
}

// ReadOnly mounts dir again, read-only, on a new folder and returns it:
// what is in dir, as on a file system Debian remounted read-only.
func ReadOnly(t testing.TB, dir string) string {
	t.Helper()
	Need(t)
	ro := t.TempDir()
	t.Cleanup(func() { exec.Command("umount", "-l", ro).Run() })
	for _, args := range [][]string{{"--bind", dir, ro}, {"-o", "remount,bind,ro", ro}} {
		if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
			t.Skipf("cannot mount read-only here: %v: %s", err, out)
		}
	}
	return ro
}

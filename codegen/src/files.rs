//! What is on disk below a folder, and what kind of file each entry is: every reader of specs,
//! pages, cassettes and generated files asks here, so a symlink, FIFO or device is named, never
//! followed, read or blocked on.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// What a walk found that is neither a regular file nor a directory: nothing reads, follows or
/// replaces these, every caller reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Special {
    /// Relative to the walk's root.
    pub path: PathBuf,
    /// `symlink`, `FIFO`, `socket`, `device`.
    pub kind: &'static str,
}

/// The kind of a file that is not a regular file or a directory, `None` for those two.
pub fn special_kind(file_type: fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    if file_type.is_symlink() {
        return Some("symlink");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return Some("FIFO");
        }
        if file_type.is_socket() {
            return Some("socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// What [`walk`] found below a directory.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, relative to the walk's root, sorted.
    pub files: Vec<PathBuf>,
    /// Everything else but directories, sorted.
    pub special: Vec<Special>,
    /// Directories directly in the walked one that hold no file at any depth.
    pub empty_crate_dirs: Vec<PathBuf>,
}

/// Every entry below `root/dir` (`target` build output skipped), as paths relative to `root`;
/// symlinks are listed, never followed.
pub fn walk(root: &Path, dir: &Path) -> Walk {
    let mut walk = Walk::default();
    let mut top_level: Vec<PathBuf> = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&current)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = current.join(entry.file_name());
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                if entry.file_name() != "target" {
                    if current == dir {
                        top_level.push(path.clone());
                    }
                    pending.push(path);
                }
            } else if file_type.is_file() {
                walk.files.push(path);
            } else if let Some(kind) = special_kind(file_type) {
                walk.special.push(Special { path, kind });
            }
        }
    }
    walk.files.sort();
    walk.special.sort_by(|a, b| a.path.cmp(&b.path));
    top_level.sort();
    walk.empty_crate_dirs = top_level
        .into_iter()
        .filter(|d| {
            !walk.files.iter().any(|f| f.starts_with(d))
                && !walk.special.iter().any(|s| s.path.starts_with(d))
        })
        .collect();
    walk
}

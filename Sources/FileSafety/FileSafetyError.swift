import Glibc

/// What can go wrong while writing a file into place, each case saying what to do about it.
public enum FileSafetyError: Error, Equatable, CustomStringConvertible {
    /// A file already exists where a new one would go, and replacing was not asked for.
    case alreadyExists(path: String)
    /// A file-system call failed; `errno` says why.
    case io(operation: String, path: String, errno: Int32)
    /// An output would overwrite one of the command's own inputs.
    case outputIsInput(output: String, input: String)
    /// Two outputs name the same file.
    case sameOutputTwice(first: String, second: String)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .alreadyExists(let path):
            return "\(path) already exists and is never replaced silently; choose another name or remove it"
        case .outputIsInput(let output, let input):
            return "\(output) is \(output == input ? "also an input" : "the same file as the input \(input)"); writing it would destroy the input — choose another output path"
        case .sameOutputTwice(let first, let second):
            return "\(first) and \(second) are the same file; give each output its own path"
        case .io(let operation, let path, let code):
            return "\(path): could not \(operation): \(String(cString: strerror(code))) (errno \(code)); "
                + "check the folder exists, is writable and has free space"
        }
    }
}

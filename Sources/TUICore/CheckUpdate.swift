import AtomsModels

/// One observation of a running security check, as the Runtime reports it from the client's watch:
/// the same plain type the client's watcher produces (it lives in AtomsModels, so TUICore stays free
/// of the client).
public typealias CheckUpdate = CheckProgress
